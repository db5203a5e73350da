(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 23
(002) ldb      [23]
(003) ldxb     4*([14]&0xf)
(004) jeq      #0x6             jt 20	jf 5
(005) jeq      #0x3b            jt 20	jf 6
(006) add      #0
(007) jeq      #0x33            jt 8	jf 20
(008) txa      
(009) ldb      [x + 14]
(010) st       M[0]
(011) txa      
(012) add      #1
(013) tax      
(014) ldb      [x + 14]
(015) add      #2
(016) mul      #4
(017) tax      
(018) ld       M[0]
(019) ja       4
(020) add      #0
(021) jeq      #0x6             jt 22	jf 23
(022) ret      #262144
(023) ret      #0
